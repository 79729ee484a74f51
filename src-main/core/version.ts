export const STUDIO_NAME = 'DeepPose Studio';
export const STUDIO_VERSION = '0.1.0';
