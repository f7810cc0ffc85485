import type { Readable } from 'node:stream';

/**
 * Where the bytes of stored files live: local disk or an S3-compatible bucket, chosen by FILE_STORAGE
 * in FilesModule.
 */
export interface FileStorageBackend {
  /** Writes the bytes under a new key; never overwrites an existing object. */
  write(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under the key; rejects when there is no such object. */
  read(key: string): Promise<Readable>;
  /** Removes the object; a missing one is not an error (removal compensates failed writes and may repeat). */
  remove(key: string): Promise<void>;
}

export const FILE_STORAGE_BACKEND = Symbol('FILE_STORAGE_BACKEND');
