import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { sampleCalls } from '../../../../src-shared/api/sample.contract';
import { getProjectCatalogs } from '../../catalog/project-catalogs';
import { projectSummary } from '../../catalog/project-info';
import { rememberProject } from '../../catalog/recent-projects';
import { checkProjectFolder, refuseControlCharacters } from '../../files/path-policy';
import { createSampleProject } from '../../sample/create-sample-project';

export function sampleHandlers(ctx: StudioContext): HandlersOf<typeof sampleCalls> {
  return {
    'projects.createSample': async ({ folder, name, count, seed }) => {
      if (name !== undefined) refuseControlCharacters('project name', name);
      const dir = await checkProjectFolder(folder);
      const { task } = ctx.tasks.start('sample', `Sample project (${count} images)`, async (taskCtx) => {
        const catalog = getProjectCatalogs(ctx).adopt(
          await createSampleProject({ folder: dir, name, count, seed }, taskCtx),
        );
        await rememberProject(ctx.home, catalog.dir);
        return projectSummary(catalog);
      });
      return { taskId: task.id };
    },
  };
}
