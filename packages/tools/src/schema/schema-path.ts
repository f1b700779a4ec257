/**
 * Turns a JSON Schema path (`['properties', 'user', 'properties', 'tags', 'items']`) into the
 * field path a developer recognises (`user.tags[]`). Union options are transparent.
 */
export function describeSchemaPath(path: readonly (string | number)[]): string {
  let out = '';
  for (let index = 0; index < path.length; index++) {
    const segment = path[index];
    const next = path[index + 1];
    if ((segment === 'properties' || segment === 'patternProperties') && next !== undefined) {
      out += out === '' ? String(next) : `.${String(next)}`;
      index++;
    } else if (segment === 'items' || segment === 'prefixItems') {
      out += '[]';
      if (typeof next === 'number') index++;
    } else if (segment === 'additionalProperties') {
      out += out === '' ? '*' : '.*';
    } else if (
      (segment === 'anyOf' || segment === 'oneOf' || segment === 'allOf') &&
      typeof next === 'number'
    ) {
      index++;
    } else if (
      (segment === 'definitions' || segment === '$defs' || segment === '$def') &&
      next !== undefined
    ) {
      out = `(definition ${String(next)})`;
      index++;
    }
  }
  return out === '' ? '(root)' : out;
}
