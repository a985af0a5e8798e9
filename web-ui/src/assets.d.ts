// What esbuild's loaders give the interface's imports: a stylesheet bundled apart, an asset's hashed URL.
declare module '*.css';
declare module '*.svg' {
	const url: string;
	export default url;
}
