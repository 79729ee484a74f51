import type { StudioContext } from '../../studio-context';
import type { Handlers } from '../dispatch';
import { getProjectCatalogs } from '../../catalog/project-catalogs';
import { modelFromPath, modelOfRun } from '../../predictions/model-location';
import { checkWriteTarget, writeRoots } from '../../files/path-policy';
import { writeOnnxExport } from '../../training/models/onnx-export';

export function modelHandlers(ctx: StudioContext): Pick<Handlers, 'models.exportOnnx'> {
  return {
    'models.exportOnnx': async ({ project, model, path, overwrite }) => {
      const catalog = getProjectCatalogs(ctx).get(project);
      const target = await checkWriteTarget(path, { overwrite, roots: writeRoots(ctx) });
      const location = 'runId' in model ? modelOfRun(catalog, model.runId, model.checkpoint) : modelFromPath(model.modelFolder, catalog);
      return writeOnnxExport(location.modelDir, target);
    },
  };
}
