import { cleanFileName } from './file-name';
import { checkImageBudget, readImageSize } from './image-size';

export { cleanFileName };

/**
 * Upload checks for case documents: PDF, PNG and JPEG only, recognised by their first bytes
 * (magic numbers), which must agree with the file name's extension and with the type the
 * browser declared. Everything else — an executable renamed .pdf, HTML or SVG sent as an image,
 * an archive, an empty file — is refused with a French message. Images must also fit a pixel
 * budget read from their header (no decompression bombs).
 */
export type DocumentType = 'application/pdf' | 'image/png' | 'image/jpeg';

/** 20 MiB: a scanned report or a few key images, not a DICOM series. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

const extensions: Readonly<Record<DocumentType, readonly string[]>> = {
	'application/pdf': ['pdf'],
	'image/png': ['png'],
	'image/jpeg': ['jpg', 'jpeg']
};

const typeLabels: Readonly<Record<DocumentType, string>> = {
	'application/pdf': 'PDF',
	'image/png': 'PNG',
	'image/jpeg': 'JPEG'
};

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
	if (bytes.length < offset + signature.length) return false;
	return signature.every((b, i) => bytes[offset + i] === b);
}

/** The type the content really is, from its magic bytes; null for anything else. */
export function detectDocumentType(bytes: Uint8Array): DocumentType | null {
	// %PDF- ; some producers put a few bytes (a BOM, blank lines) first, the spec allows 1024.
	const pdf = [0x25, 0x50, 0x44, 0x46, 0x2d];
	const head = bytes.subarray(0, 1024);
	for (let i = 0; i + pdf.length <= head.length; i++) {
		if (startsWith(head, pdf, i)) return 'application/pdf';
		// Only whitespace or a UTF-8 BOM may come before the header.
		const b = head[i]!;
		if (![0x09, 0x0a, 0x0d, 0x20, 0xef, 0xbb, 0xbf].includes(b)) break;
	}
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	return null;
}

function extensionOf(name: string): string {
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export interface UploadCandidate {
	fileName: string;
	/** The Content-Type the browser sent for the part; may be empty. */
	declaredType: string;
	size: number;
	/** At least the first kilobyte of the content. */
	head: Uint8Array;
	/** The whole content, for image dimensions (a JPEG's frame header may follow long EXIF). */
	content?: Uint8Array;
}

export type UploadCheck =
	{ ok: true; fileName: string; contentType: DocumentType } | { ok: false; error: string };

export function checkUpload(file: UploadCandidate): UploadCheck {
	const fileName = cleanFileName(file.fileName);
	if (file.size === 0 || fileName === '') {
		return {
			ok: false,
			error:
				file.size === 0
					? 'Le fichier est vide : choisissez un compte rendu ou une image.'
					: 'Choisissez un fichier à joindre.'
		};
	}
	if (file.size > MAX_DOCUMENT_BYTES) {
		return {
			ok: false,
			error: `Le fichier dépasse la taille maximale de ${MAX_DOCUMENT_BYTES / 1024 / 1024} Mo.`
		};
	}
	const ext = extensionOf(fileName);
	const byExtension = (Object.keys(extensions) as DocumentType[]).find((t) =>
		extensions[t].includes(ext)
	);
	if (!byExtension) {
		return {
			ok: false,
			error: 'Seuls les fichiers PDF, PNG et JPEG sont acceptés (extension .pdf, .png, .jpg).'
		};
	}
	const detected = detectDocumentType(file.head);
	if (detected !== byExtension) {
		return {
			ok: false,
			error: `Le contenu du fichier ne correspond pas à un ${typeLabels[byExtension]} comme l’indique son nom : il est refusé.`
		};
	}
	const declared = file.declaredType.split(';')[0]!.trim().toLowerCase();
	// Browsers send application/octet-stream (or nothing) for types they do not know.
	if (declared && declared !== 'application/octet-stream' && declared !== detected) {
		const alias = declared === 'image/jpg' || declared === 'image/pjpeg' ? 'image/jpeg' : declared;
		if (alias !== detected) {
			return {
				ok: false,
				error: `Le type annoncé du fichier (${declared}) ne correspond pas à son contenu (${typeLabels[detected]}) : il est refusé.`
			};
		}
	}
	if (detected !== 'application/pdf') {
		const error = checkImageBudget(readImageSize(file.content ?? file.head, detected));
		if (error) return { ok: false, error };
	}
	return { ok: true, fileName, contentType: detected };
}
