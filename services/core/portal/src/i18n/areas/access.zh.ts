import type { accessEn } from './access.en';

/** 简体中文 for the access area; typed against the English, so a missing or extra key fails the build. */
export const accessZh: Record<keyof typeof accessEn, string> = {};
