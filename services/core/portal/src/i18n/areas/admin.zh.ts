import type { adminEn } from './admin.en';

/** 简体中文 for the admin area; typed against the English, so a missing or extra key fails the build. */
export const adminZh: Record<keyof typeof adminEn, string> = {};
