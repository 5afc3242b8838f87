import { accessEn } from './access.en';
import { accessZh } from './access.zh';
import { accountEn } from './account.en';
import { accountZh } from './account.zh';
import { adminEn } from './admin.en';
import { adminZh } from './admin.zh';
import { artifactsEn } from './artifacts.en';
import { artifactsZh } from './artifacts.zh';
import { baseEn } from './base.en';
import { baseZh } from './base.zh';
import { projectEn } from './project.en';
import { projectZh } from './project.zh';
import { projectsEn } from './projects.en';
import { projectsZh } from './projects.zh';

/**
 * The catalogue is cut by area of the portal, one pair of files each, so the
 * pages of one area add strings without touching another's. A key lives in
 * exactly one area (the catalogue test checks it).
 */
export const areas = {
  base: { en: baseEn, zh: baseZh },
  projects: { en: projectsEn, zh: projectsZh },
  project: { en: projectEn, zh: projectZh },
  access: { en: accessEn, zh: accessZh },
  artifacts: { en: artifactsEn, zh: artifactsZh },
  admin: { en: adminEn, zh: adminZh },
  account: { en: accountEn, zh: accountZh },
} as const;
