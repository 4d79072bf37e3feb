import { maximumUploadBase64Characters } from '../../../../shared/schemas/knowledge';

/** A file picked or dropped, named by its path inside a picked folder when there is one. */
export interface PickedFile {
  name: string;
  file: File;
}

export function pickedFiles(list: FileList | File[]): PickedFile[] {
  return [...list].map((file) => ({ name: file.webkitRelativePath || file.name, file }));
}

/** The renderer cannot read paths; it sends each file's bytes as base64 through the API. */
export function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}

/** Bytes that fit in one upload request (base64 grows data by a third). */
export const maximumUploadBytes = Math.floor((maximumUploadBase64Characters / 4) * 3);

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}
