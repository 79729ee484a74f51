// Every `deeppose` subcommand, in the order `--help` lists them. A command's module (and what
// it pulls in: TensorFlow.js, sharp, SQLite) loads only when that command runs, so `--help`
// and argument mistakes answer at once.
import type { CommandEntry } from '../command';

export const commands: CommandEntry[] = [
  {
    name: 'demo',
    summary: 'Make a sample project, train a short CPU-sized run, and compare its PCK with the mean-pose baseline.',
    load: async () => (await import('./demo')).demoCommand,
  },
  {
    name: 'serve',
    summary: 'Serve the studio to a browser on 127.0.0.1, behind a random token.',
    load: async () => (await import('./serve')).serveCommand,
  },
  {
    name: 'sample',
    summary: 'Generate procedural people with exact joint labels (JPEG + reference CSV + COCO keypoints).',
    load: async () => (await import('./sample')).sampleCommand,
  },
  {
    name: 'runs',
    summary:
      "A project's runs: `runs list`, `runs delete RUN_ID`, and `runs import DIR` for a run bundle trained elsewhere by the PyTorch engine.",
    load: async () => (await import('./runs')).runsCommand,
  },
  {
    name: 'import',
    summary: 'Import images and labels (folder, csv, lsp, lspet, coco) into a project.',
    load: async () => (await import('./import')).importCommand,
  },
  {
    name: 'export',
    summary: 'Export a project as a reference list (csv) or COCO keypoints JSON.',
    load: async () => (await import('./export')).exportCommand,
  },
  {
    name: 'train',
    summary: "Train DeepPose on a project's labels (MomentumSGD or Adam), with checkpoints; Ctrl-C stops cleanly.",
    load: async () => (await import('./train')).trainCommand,
  },
  {
    name: 'predict',
    summary: 'Predict joints with a saved model over a folder or list of images.',
    load: async () => (await import('./predict')).predictCommand,
  },
  {
    name: 'suggest',
    summary:
      'Suggest joints with the built-in pretrained pose model (one record per detected person) over a folder or list of images.',
    load: async () => (await import('./suggest')).suggestCommand,
  },
  {
    name: 'export-model',
    summary: 'Export a trained network as an ONNX file (opset 13) for ONNX Runtime, OpenCV, TensorRT and the like.',
    load: async () => (await import('./export-model')).exportModelCommand,
  },
  {
    name: 'bench',
    summary:
      'Time the reference AlexNet on each backend (training images/s at batch 32, inference ms/image) against PyTorch, as JSON.',
    load: async () => (await import('./bench')).benchCommand,
  },
];
