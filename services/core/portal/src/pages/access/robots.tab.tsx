import type { ProjectTabProps } from '../project/project-detail.page';
import { RobotList } from './robot-list';

/** A project's robot accounts; what is offered follows the caller's `robot` permissions in the project. */
export function RobotsTab({ project, can }: ProjectTabProps) {
  return (
    <RobotList
      level="project"
      project={{ id: project.project_id, name: project.name }}
      can={{ create: can('robot', 'create'), update: can('robot', 'update'), delete: can('robot', 'delete') }}
    />
  );
}
