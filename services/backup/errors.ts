// Why a backup file was refused: the field of the file (or of the request) it is about, and what is wrong with it.
export class BackupError extends Error {
	override readonly name = 'BackupError';
	constructor(readonly field: string, message: string, options?: { cause?: unknown }) {
		super(`${field}: ${message}`, options);
	}
}
