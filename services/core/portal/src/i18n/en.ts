import { areas } from './areas';

/** English: the reference catalogue, every area's strings. Every other language has exactly these keys. */
export const en = {
  ...areas.base.en,
  ...areas.projects.en,
  ...areas.project.en,
  ...areas.access.en,
  ...areas.artifacts.en,
  ...areas.admin.en,
  ...areas.account.en,
};

export type MessageKey = keyof typeof en;
export type Catalogue = Record<MessageKey, string>;
