/** English strings of the artifacts area. */
export const artifactsEn = {} as const;
