// Starts @20minutes/s3rver (which verifies SigV4 header and presigned signatures) on
// 127.0.0.1 and prints "PORT <n>" once it listens. Usage: node s3rver.js DATA_DIR
'use strict';
const S3rver = require('@20minutes/s3rver');

new S3rver({ address: '127.0.0.1', port: 0, directory: process.argv[2], silent: true })
  .run()
  .then(({ port }) => console.log(`PORT ${port}`))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
