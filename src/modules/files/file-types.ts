/** The kinds of file the platform accepts, recognised by their first bytes (never by the client's name or content type). */
export const SNIFFED_TYPES = {
  'application/pdf': { extension: 'pdf', magic: [Buffer.from('%PDF-', 'latin1')] },
  'image/jpeg': { extension: 'jpg', magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  'image/png': { extension: 'png', magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])] },
} as const;
export type SniffedType = keyof typeof SNIFFED_TYPES;

/** The type the bytes really are, or null when they are none of the known kinds. */
export function sniffType(bytes: Buffer): SniffedType | null {
  for (const [type, { magic }] of Object.entries(SNIFFED_TYPES) as Array<[SniffedType, (typeof SNIFFED_TYPES)[SniffedType]]>) {
    if (magic.some((prefix) => bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix))) return type;
  }
  return null;
}

/** What a download may be served as: a known safe type, else bytes (never anything a browser would run, like text/html). */
export function servedType(contentType: string): string {
  return contentType in SNIFFED_TYPES ? contentType : 'application/octet-stream';
}
