import { measureSizes } from './size/measureSizes';
const sizes = await measureSizes();
for (const s of sizes) console.log(s.label, (s.initial.gzip/1000).toFixed(2), (s.total.gzip/1000).toFixed(2), s.vitePreloadHelperGzip ?? '');
