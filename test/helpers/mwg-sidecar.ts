/**
 * An XMP sidecar with MWG face regions (attribute form, as digiKam writes it), for a photo whose displayed
 * size is `width` x `height`. Coordinates are written as given (strings, so tests can write hostile values
 * such as `1e308` or hex floats); `padding` goes inside the packet, as XMP writers pad it.
 */
export interface MwgRegion {
  name: string;
  x: number | string;
  y: number | string;
  w: number | string;
  h: number | string;
}

export function mwgSidecar(width: number, height: number, regions: readonly MwgRegion[], padding = ''): string {
  const items = regions
    .map(
      (r) =>
        `<rdf:li><rdf:Description mwg-rs:Type="Face" mwg-rs:Name="${r.name}">` +
        `<mwg-rs:Area stArea:x="${r.x}" stArea:y="${r.y}" stArea:w="${r.w}" ` +
        `stArea:h="${r.h}" stArea:unit="normalized"/></rdf:Description></rdf:li>`,
    )
    .join('\n');
  return (
    `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n` +
    `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n` +
    `<rdf:Description rdf:about="" xmlns:mwg-rs="http://www.metadataworkinggroup.com/schemas/regions/" ` +
    `xmlns:stArea="http://ns.adobe.com/xmp/sType/Area#" xmlns:stDim="http://ns.adobe.com/xap/1.0/sType/Dimensions#">\n` +
    `<mwg-rs:Regions rdf:parseType="Resource"><mwg-rs:AppliedToDimensions stDim:w="${width}" stDim:h="${height}" ` +
    `stDim:unit="pixel"/><mwg-rs:RegionList><rdf:Bag>\n${items}\n</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>\n` +
    `</rdf:Description></rdf:RDF></x:xmpmeta>\n${padding}<?xpacket end="w"?>`
  );
}
