import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { modelCalls } from '../../../../src-shared/api/models.contract';
import { StudioError } from '../../../../src-shared/api/define';
import { getProjectCatalogs } from '../../catalog/project-catalogs';
import { modelFromPath, modelOfRun } from '../../predictions/model-location';
import { checkWriteTarget, writeRoots } from '../../files/path-policy';
import { writeCascadeOnnx } from '../../training/models/cascade-onnx-export';
import { runExportTask } from '../../tasks/export-task';

export function modelHandlers(ctx: StudioContext): HandlersOf<typeof modelCalls> {
  return {
    'models.exportOnnx': async ({ project, model, path, overwrite }) => {
      const catalog = project === undefined ? undefined : getProjectCatalogs(ctx).get(project);
      const options = { overwrite, roots: writeRoots(ctx) };
      const target = await checkWriteTarget(path, options);
      if ('runId' in model && !catalog)
        throw new StudioError('invalid-argument', 'models.exportOnnx: a model named by run needs its project');
      const location =
        'runId' in model
          ? modelOfRun(catalog!, model.runId, model.checkpoint)
          : modelFromPath(model.modelFolder, catalog);
      return runExportTask(ctx, target, 'ONNX', async () => {
        const { path: written, bytes, params, files } = await writeCascadeOnnx(location.modelDir, target, options);
        return { path: written, bytes, params, files, modelDir: location.modelDir };
      });
    },
  };
}
