const t0=Date.now(); await import('@tensorflow/tfjs'); console.log('tfjs', Date.now()-t0)
