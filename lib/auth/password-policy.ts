// Pure, so forms and zod schemas can share it with the better-auth instance.
export const MIN_PASSWORD_LENGTH = 8;
