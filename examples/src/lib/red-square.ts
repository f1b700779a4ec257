/** An 8×8 red PNG, so the image examples need no file on disk. */
export const RED_SQUARE_PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEUlEQVR4nGO4oKCAFTEMLQkAvk5EAfjoixEAAAAASUVORK5CYII=',
  ),
  (char) => char.charCodeAt(0),
);
