import { createInflateRaw } from 'node:zlib';
import { fileNotOfType, xlsxTooLarge } from './imports.errors.js';

/** One member of a zip archive, as its central directory lists it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  dataStart: number;
}

const notXlsx = (detail: string) => fileNotOfType('an Excel workbook (.xlsx)', `${detail} / 不是有效的 .xlsx 文件`);

/**
 * The entries of a zip held in memory (the body, already within its size limit), from the central
 * directory at its end. Zip64 and encrypted members are refused: Excel writes neither for a sheet
 * an import can take.
 */
export function zipEntries(zip: Buffer): Map<string, ZipEntry> {
  if (zip.length < 22 || zip.readUInt32LE(0) !== 0x04034b50) throw notXlsx('it does not start as a zip archive');
  let end = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at -= 1) {
    if (zip.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw notXlsx('the zip archive has no central directory (truncated or corrupt)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) throw notXlsx('the zip central directory is corrupt');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const declaredSize = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) throw notXlsx(`"${name}" is encrypted; save the workbook without a password`);
    if (compressedSize === 0xffffffff || declaredSize === 0xffffffff || localHeader === 0xffffffff) throw notXlsx('zip64 archives are not read');
    if (localHeader + 30 > zip.length || zip.readUInt32LE(localHeader) !== 0x04034b50) throw notXlsx(`the member "${name}" is corrupt`);
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    if (dataStart + compressedSize > zip.length) throw notXlsx(`the member "${name}" runs past the end of the file`);
    if (method !== 0 && method !== 8) throw notXlsx(`the member "${name}" uses compression method ${method}`);
    entries.set(name, { name, method, compressedSize, declaredSize, dataStart });
  }
  return entries;
}

/** A budget of inflated bytes shared by every member read from one workbook. */
export interface InflateBudget {
  limit: number;
  used: number;
}

/**
 * Inflates one member chunk by chunk, handing each piece of text to `onText` as it comes, and stops
 * the moment the workbook's budget is spent: a zip bomb (kilobytes inflating to gigabytes) costs at
 * most `limit` bytes of inflating, never the memory to hold them.
 */
export async function inflateText(zip: Buffer, entry: ZipEntry, budget: InflateBudget, onText: (text: string) => void): Promise<void> {
  const data = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  const decoder = new TextDecoder('utf-8');
  const take = (chunk: Buffer) => {
    budget.used += chunk.length;
    if (budget.used > budget.limit) throw xlsxTooLarge(budget.limit, `inflates past the limit while reading "${entry.name}" (a zip bomb, or too much data)`);
    onText(decoder.decode(chunk, { stream: true }));
  };
  if (entry.method === 0) {
    for (let at = 0; at < data.length; at += 1 << 16) take(data.subarray(at, at + (1 << 16)));
    onText(decoder.decode());
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const inflate = createInflateRaw({ chunkSize: 1 << 16 });
    const fail = (error: unknown) => {
      inflate.destroy();
      reject(error instanceof Error && 'code' in error && typeof error.code === 'string' && error.code.startsWith('Z_')
        ? notXlsx(`the member "${entry.name}" does not inflate (${error.message})`)
        : error);
    };
    inflate.on('data', (chunk: Buffer) => {
      try {
        take(chunk);
      } catch (error) {
        fail(error);
      }
    });
    inflate.on('error', fail);
    inflate.on('end', () => {
      onText(decoder.decode());
      resolve();
    });
    inflate.end(data);
  });
}

/** A whole (small) member as text: the workbook, its relations, styles and shared strings. */
export async function readText(zip: Buffer, entry: ZipEntry, budget: InflateBudget, max: number): Promise<string> {
  const parts: string[] = [];
  let length = 0;
  await inflateText(zip, entry, budget, (text) => {
    length += text.length;
    if (length > max) throw xlsxTooLarge(max, `has a part "${entry.name}" of more than ${max} characters`);
    parts.push(text);
  });
  return parts.join('');
}
