const t0 = Date.now();
await import('@tensorflow/tfjs'); console.log('tfjs', Date.now() - t0);
const sharp = (await import('sharp')).default; console.log('sharp', Date.now() - t0);
await sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>')).png().toBuffer(); console.log('svg', Date.now() - t0);
