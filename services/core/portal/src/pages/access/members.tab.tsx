import type { ProjectTabProps } from '../project/project-detail.page';

/** Placeholder until this tab is built. */
export function MembersTab({ project }: ProjectTabProps) {
  return <div data-testid="placeholder">{project.name}</div>;
}
