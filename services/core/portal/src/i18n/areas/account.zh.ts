import type { accountEn } from './account.en';

/** 简体中文 for the account area; typed against the English, so a missing or extra key fails the build. */
export const accountZh: Record<keyof typeof accountEn, string> = {};
