/**
 * The public addresses of what an export or the protocol names. Annotations
 * live in their consultation's W3C container; answers, points and paragraphs
 * point at the public answers page, where each has an anchor.
 */
export function consultationIris(publicUrl: string, consultationId: string) {
  const base = publicUrl.replace(/\/+$/, "");
  const container = `${base}/v1/consultations/${consultationId}/annotations`;
  const answers = `${base}/c/${consultationId}/answers`;
  return {
    container,
    annotation: (id: string) => `${container}/${id}`,
    response: (id: string) => `${answers}#response-${id}`,
    point: (id: string) => `${answers}#point-${id}`,
    paragraph: (key: string) => `${answers}#p-${encodeURIComponent(key)}`,
    exportOf: (format: string) =>
      `${base}/v1/consultations/${consultationId}/export?format=${format}`,
    generator: base,
  };
}

export type ConsultationIris = ReturnType<typeof consultationIris>;
