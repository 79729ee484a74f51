export { formatDuration } from '../../../src-shared/format';
