import type { StudioContext } from '../../studio-context';
import type { HandlersOf } from '../dispatch';
import type { suggestionCalls } from '../../../../src-shared/api/suggestions.contract';
import { suggestionServiceFor } from '../../suggest/suggestion-service';

export function suggestionHandlers(ctx: StudioContext): HandlersOf<typeof suggestionCalls> {
  const suggestions = suggestionServiceFor(ctx);
  return {
    'suggestions.suggest': ({ project, imageId, threshold }) => suggestions.suggest(project, imageId, threshold),
    'suggestions.prelabel': ({ project, threshold }) => suggestions.prelabel(project, threshold),
    'suggestions.list': ({ project, imageId }) => suggestions.list(project, imageId),
    'suggestions.queue': ({ project }) => suggestions.queue(project),
    'suggestions.accept': ({ project, suggestionId }) => suggestions.accept(project, suggestionId),
    'suggestions.dismiss': ({ project, suggestionId }) => suggestions.dismiss(project, suggestionId),
  };
}
