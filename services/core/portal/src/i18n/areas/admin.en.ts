/** English strings of the admin area. */
export const adminEn = {} as const;
