/** Typed subsets of the charts' values: only what the add-ons set. */

export interface Resources {
  readonly requests?: { readonly cpu?: string; readonly memory?: string };
  readonly limits?: { readonly cpu?: string; readonly memory?: string };
}

export interface ServiceAccountValues {
  readonly create: boolean;
  readonly name: string;
}

export interface PvcTemplate {
  readonly spec: {
    readonly storageClassName: string;
    readonly accessModes: readonly ["ReadWriteOnce"];
    readonly resources: { readonly requests: { readonly storage: string } };
  };
}
