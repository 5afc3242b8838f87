import { useEffect, useState } from 'react';
import { Can, canFrom, projectPermissions } from './permissions';

/**
 * What the signed-in user may do in a project, for showing or hiding
 * actions. The server checks every call again; this only spares the user
 * buttons that would be refused. Until the answer arrives nothing is allowed.
 */
export function useProjectPermissions(projectId: number | undefined): { can: Can; loaded: boolean } {
  const [state, setState] = useState<{ can: Can; loaded: boolean }>({ can: canFrom(null), loaded: false });
  useEffect(() => {
    if (projectId === undefined) return;
    let current = true;
    setState({ can: canFrom(null), loaded: false });
    projectPermissions(projectId)
      .then((list) => current && setState({ can: canFrom(list), loaded: true }))
      .catch(() => current && setState({ can: canFrom(null), loaded: true }));
    return () => {
      current = false;
    };
  }, [projectId]);
  return state;
}
