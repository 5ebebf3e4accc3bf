// Worker threads do not inherit tsx's loader hooks reliably on Node 20: register tsx's CommonJS
// hook here, then load the TypeScript worker.
require('tsx/cjs/api').register();
require('./worker.ts');
