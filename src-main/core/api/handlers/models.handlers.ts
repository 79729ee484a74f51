import type { StudioContext } from '../../studio-context';
import type { Handlers } from '../dispatch';
import { getProjectCatalogs } from '../../catalog/project-catalogs';
import { modelFromPath, modelOfRun } from '../../predictions/model-location';
import { writeOnnxExport } from '../../training/models/onnx-export';

export function modelHandlers(ctx: StudioContext): Pick<Handlers, 'models.exportOnnx'> {
  return {
    'models.exportOnnx': ({ project, model, path }) => {
      const catalog = getProjectCatalogs(ctx).get(project);
      const location = 'runId' in model ? modelOfRun(catalog, model.runId, model.checkpoint) : modelFromPath(model.modelFolder, catalog);
      return writeOnnxExport(location.modelDir, path);
    },
  };
}
