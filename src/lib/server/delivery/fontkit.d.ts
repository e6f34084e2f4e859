// fontkit ships no type declarations; only `create` is used (to parse a font once per process).
declare module 'fontkit' {
	export function create(buffer: Uint8Array, postscriptName?: string): object;
}
