/**
 * The one name of a person, wherever one is shown: the UI, History (undo labels), export folders and
 * manifests, and the command line. A person without a name is "Unnamed #<id>" everywhere, so what the user
 * reads in one place can be found in every other (the People grid, a folder on disk, `facenet person`).
 */

/** How a person without a name is called: "Unnamed #12". */
export function unnamedPersonName(id: number): string {
  return `Unnamed #${id}`;
}

/** The person's name, or "Unnamed #<id>" while they have none (an empty name counts as none). */
export function personName(p: { id: number; name: string | null }): string {
  return p.name || unnamedPersonName(p.id);
}
