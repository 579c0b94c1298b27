/**
 * The few DOM shapes the HTML path uses. The project compiles without lib.dom (core is Node-only),
 * so these structural types describe what linkedom provides.
 */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
  readonly parentNode: DomNode | null;
}

export interface DomElement extends DomNode {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
  remove(): void;
  readonly children: ArrayLike<DomElement>;
  readonly parentElement: DomElement | null;
}

export interface DomDocument {
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  querySelector(selector: string): DomElement | null;
  readonly body: DomElement | null;
  readonly documentElement: DomElement;
}
