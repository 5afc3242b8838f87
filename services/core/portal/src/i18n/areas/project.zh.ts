import type { projectEn } from './project.en';

/** 简体中文 for the project area; typed against the English, so a missing or extra key fails the build. */
export const projectZh: Record<keyof typeof projectEn, string> = {
  'project.tab.summary': '概要',
  'project.tab.repositories': '镜像仓库',
  'project.tab.members': '成员',
  'project.tab.robots': '机器人账户',
  'project.tab.logs': '日志',
  'project.tab.configuration': '配置管理',
};
