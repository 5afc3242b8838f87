/** Reported as `harbor_version` by /systeminfo. */
export const harborVersion = 'v2.0.0-harbor-ts.0.1.0';
