import type { projectsEn } from './projects.en';

/** 简体中文 for the projects area; typed against the English, so a missing or extra key fails the build. */
export const projectsZh: Record<keyof typeof projectsEn, string> = {
  'projects.title': '项目',
  'projects.search': '按名称搜索项目',
  'projects.new': '新建项目',
  'projects.name': '项目名称',
  'projects.access': '访问级别',
  'projects.public': '公开',
  'projects.private': '私有',
  'projects.repoCount': '镜像仓库数',
  'projects.creationTime': '创建时间',
  'projects.empty': '还没有项目。点击“新建项目”创建一个。',
  'projects.total': '共 {total} 个项目',
  'createProject.title': '新建项目',
  'createProject.name': '项目名称',
  'createProject.nameRequired': '请输入项目名称',
  'createProject.nameRule': '只能包含小写字母和数字，单词之间用“.”、“_”或“-”连接，最长 255 个字符',
  'createProject.public': '公开',
  'createProject.publicHelp': '任何人都可以从公开项目拉取镜像',
  'createProject.submit': '创建',
  'createProject.cancel': '取消',
  'createProject.created': '项目 {name} 已创建',
};
