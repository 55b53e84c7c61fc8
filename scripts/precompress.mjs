// Writes each file named on the command line brotli-compressed beside it
// (`name.br`, quality 11, as the byte budget counts), for a server that
// sends precompressed files as they are: nginx's brotli_static, a CDN, or
// the demo server.
import { readFileSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';

for (const file of process.argv.slice(2)) {
  const bytes = readFileSync(file);
  const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length };
  writeFileSync(`${file}.br`, brotliCompressSync(bytes, { params }));
}
