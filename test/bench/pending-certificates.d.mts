/** See pending-certificates.mjs: `count` pending certificates in one transaction on `client`; their ids in creation order. */
export function pendingCertificates(client: { query(text: string, values?: unknown[]): Promise<{ rows: any[] }> }, count: number): Promise<string[]>;
