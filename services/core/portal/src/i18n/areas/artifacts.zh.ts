import type { artifactsEn } from './artifacts.en';

/** 简体中文 for the artifacts area; typed against the English, so a missing or extra key fails the build. */
export const artifactsZh: Record<keyof typeof artifactsEn, string> = {};
