import { areas } from './areas';
import type { Catalogue } from './en';

/** 简体中文, area by area; each area is typed against its English, so a missing or extra key is a build error. */
export const zh: Catalogue = {
  ...areas.base.zh,
  ...areas.projects.zh,
  ...areas.project.zh,
  ...areas.access.zh,
  ...areas.artifacts.zh,
  ...areas.admin.zh,
  ...areas.account.zh,
};
