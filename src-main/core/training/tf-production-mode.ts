// Imported first by every entry that loads TensorFlow.js: production mode skips tfjs's
// debug checks and its console advice to install tfjs-node (the studio picks the backend
// itself and says why in each run's notes).
import * as tf from '@tensorflow/tfjs';

tf.enableProdMode();
