/** English strings of the account area. */
export const accountEn = {} as const;
