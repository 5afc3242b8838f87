/** English strings of the access area. */
export const accessEn = {} as const;
