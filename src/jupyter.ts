// The compiler's check that ConvLab's own shapes speak Jupyter's vocabulary: kernel messages (protocol.ts) against
// @jupyterlab/services' types, notebook files (notebook/ipynb-format.ts) against @jupyterlab/nbformat's.
// Types only: nothing here exists at run time, and both bundles may import it.

/** What a ConvLab shape does differently from Jupyter's, field by field, so every difference is written down. */
export interface Deviations {
  /** Fields Jupyter does not define: ConvLab's additions. */
  adds?: PropertyKey;
  /** Fields typed more loosely than Jupyter's, on purpose (a file's fields that the reader checks itself). */
  loosens?: PropertyKey;
  /** Fields Jupyter requires that ConvLab never sends or writes. */
  drops?: PropertyKey;
}

type Named<D, P extends keyof Deviations> = D extends { [Q in P]: infer K } ? K : never;

/**
 * T without index signatures. nbformat's interfaces extend PartialJSONObject, whose `[key: string]` would let a
 * misspelt field pass as one of Jupyter's.
 */
type Known<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/**
 * What `Ours` must extend to be Jupyter's `Theirs` with deviations `D`: a field Jupyter also defines has Jupyter's
 * type or a narrower one (unless loosened), any other field is an addition, and every field Jupyter requires is
 * there (unless dropped).
 */
export type Conforms<Theirs, Ours, D extends Deviations = object> = {
  [K in keyof Ours]: K extends keyof Known<Theirs>
    ? K extends Named<D, 'loosens'> ? unknown : Known<Theirs>[K]
    : K extends Named<D, 'adds'> ? unknown : never;
} & { [K in Exclude<RequiredKeys<Known<Theirs>>, Named<D, 'drops'>>]: unknown };

/** `Ours`, once the compiler has checked it against Jupyter's `Theirs` (see Conforms). */
export type Jupyter<Theirs, Ours extends Conforms<Theirs, Ours, D>, D extends Deviations = object> = Ours;
