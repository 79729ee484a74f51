import type { StudioContext } from '../../studio-context';
import type { Handlers } from '../dispatch';
import { suggestionServiceFor } from '../../suggest/suggestion-service';

type SuggestionCalls =
  | 'suggestions.suggest'
  | 'suggestions.prelabel'
  | 'suggestions.list'
  | 'suggestions.queue'
  | 'suggestions.accept'
  | 'suggestions.dismiss';

export function suggestionHandlers(ctx: StudioContext): Pick<Handlers, SuggestionCalls> {
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
