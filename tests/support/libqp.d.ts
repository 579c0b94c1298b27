declare module 'libqp' {
  /** Decodes a quoted-printable string into bytes. */
  export function decode(input: string): Buffer;
  const libqp: { decode: typeof decode };
  export default libqp;
}
