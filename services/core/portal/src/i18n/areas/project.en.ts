/** English strings of the project area: a project's page and its summary, repositories, logs and configuration tabs. */
export const projectEn = {
  'project.tab.summary': 'Summary',
  'project.tab.repositories': 'Repositories',
  'project.tab.members': 'Members',
  'project.tab.robots': 'Robot accounts',
  'project.tab.logs': 'Logs',
  'project.tab.configuration': 'Configuration',
} as const;
