import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/**
 * Why a file could not be read as text. `not_regular` and `too_large` are
 * decided from `stat` alone, before the file is opened: reading a FIFO blocks
 * until a writer comes (forever, deaf to SIGTERM while it blocks the loop),
 * and `/dev/zero` never ends.
 */
export type BoundedReadFailure =
  | { reason: 'missing'; errno: string }
  | { reason: 'not_regular'; type: string }
  | { reason: 'too_large'; size: number };

export type BoundedRead = { ok: true; text: string; size: number } | ({ ok: false } & BoundedReadFailure);

/** What kind of thing a path is, in words for a message: `a FIFO`, `a character device`. */
export function describeFileType(info: Stats): string {
  if (info.isFile()) return 'a regular file';
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/**
 * Reads a regular file of at most `maxBytes` as UTF-8. The type and size are
 * checked by `stat` first; the file is then opened non-blocking (so a path
 * swapped for a FIFO between the two cannot block the open), checked again
 * on the open descriptor, and read no further than `maxBytes + 1` (so a file
 * that grows meanwhile is refused, not read without end).
 */
export function readBoundedFile(path: string, maxBytes: number): BoundedRead {
  let info: Stats;
  try {
    info = statSync(path);
  } catch (error) {
    return { ok: false, reason: 'missing', errno: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  }
  if (!info.isFile()) return { ok: false, reason: 'not_regular', type: describeFileType(info) };
  if (info.size > maxBytes) return { ok: false, reason: 'too_large', size: info.size };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { ok: false, reason: 'missing', errno: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return { ok: false, reason: 'not_regular', type: describeFileType(opened) };
    // Sized by fstat; grown only if the file grows while read, never past maxBytes + 1.
    let buffer = Buffer.allocUnsafe(Math.min(maxBytes, opened.size) + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > maxBytes) return { ok: false, reason: 'too_large', size: Math.max(length, opened.size) };
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(maxBytes + 1, buffer.length * 2));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
    }
    return { ok: true, text: buffer.toString('utf8', 0, length), size: length };
  } catch (error) {
    return { ok: false, reason: 'missing', errno: (error as NodeJS.ErrnoException).code ?? 'EIO' };
  } finally {
    closeSync(fd);
  }
}

/** `16 MiB`, `1.5 MiB`, `900 KiB`, `12 bytes`: sizes in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} byte${bytes === 1 ? '' : 's'}`;
}

function trim(value: number): string {
  return value.toFixed(1).replace(/\.0$/, '');
}
