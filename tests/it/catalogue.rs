//! Each dataset's page `/datos/<id>/`, its schema.org `Dataset` JSON-LD and the DCAT-AP
//! catalogue `/datos/catalogo.jsonld` (issue 22 items 7 and 9).

use crate::harness::Site;
use serde_json::Value;

const CIFRAS: &str = "titulo: Barrios por territorio\ndescripcion: Cuántos barrios hay en cada territorio.\nfuente: DGSC\nlicencia: CC BY 4.0\nactualizado: 2018-07-31\nnota: Cifras del documento.\nfilas:\n  - {territorio: Lima, barrios: 9, privado: SENTINELA-PRIVADO}\n  - {territorio: Ica, barrios: 2}\n";

fn site() -> Site {
    Site::new()
        .with("content/datos/cifras.yaml", CIFRAS)
        .bulletin(
            "a.md",
            "Avance",
            "2018-01-01",
            "{{ grafico(datos=\"cifras\", x=\"territorio\", y=\"barrios\", titulo=\"Barrios\") }}\n\n{{ cifra(datos=\"cifras\", suma=\"barrios\") }}\n",
        )
        .with(
            "content/boletines/b.md",
            "---\ntitulo: SENTINELA-EMBARGO\nfecha: 2018-01-02\npublicar_desde: 2030-01-01T00:00:00Z\n---\n{{ tabla(datos=\"cifras\") }}\n",
        )
        .with(
            "content/boletines/c.md",
            "---\ntitulo: SENTINELA-BORRADOR\nfecha: 2018-01-03\nborrador: true\n---\n{{ tabla(datos=\"cifras\") }}\n",
        )
}

/// The schema.org `Dataset` among a page's `<script type="application/ld+json">`.
fn json_ld(html: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let start = i + open.len();
            let end = html[start..].find("</script>").unwrap() + start;
            serde_json::from_str::<Value>(&html[start..end]).expect("valid JSON-LD")
        })
        .find(|v| v["@type"] == "Dataset")
        .expect("a Dataset")
}

#[test]
fn a_dataset_page_shows_what_it_is_its_rows_uses_and_downloads() {
    let site = site();
    site.build_ok();
    let page = site.read("datos/cifras/index.html");
    for part in [
        "<h1>Barrios por territorio</h1>",
        "<p class=\"entradilla\">Cuántos barrios hay en cada territorio.</p>",
        "<dt>Fuente</dt><dd>DGSC</dd>",
        "<dt>Licencia</dt><dd>CC BY 4.0</dd>",
        "<time datetime=\"2018-07-31\">",
        "<p>Cifras del documento.</p>",
        "<caption>Barrios por territorio</caption>",
        "<tr><th scope=\"row\">Lima</th><td class=\"num\">9</td></tr>",
        "<a href=\"/sub/boletines/a/\">Avance</a>: <a href=\"/sub/graficos/a-1.svg\">gráfico «Barrios»</a>",
        "<a href=\"https://example.org/sub/datos/cifras.csv\" download>CSV",
        "<a href=\"https://example.org/sub/datos/cifras.xlsx\" download>Excel (XLSX)",
    ] {
        assert!(page.contains(part), "{part}\n{page}");
    }
    let csv = std::fs::metadata(site.out("datos/cifras.csv"))
        .unwrap()
        .len();
    assert!(page.contains(&format!("({csv} bytes)")), "{page}");
    assert!(!page.contains("primeras"), "a small dataset is shown whole");
    let index = site.read("datos/index.html");
    assert!(
        index.contains("<a href=\"/sub/datos/cifras/\">Barrios por territorio</a>"),
        "{index}"
    );
    assert!(
        site.read("sitemap.xml")
            .contains("https://example.org/sub/datos/cifras/")
    );
    for sentinel in [
        "SENTINELA-PRIVADO",
        "SENTINELA-EMBARGO",
        "SENTINELA-BORRADOR",
    ] {
        site.assert_nowhere(sentinel);
    }
}

#[test]
fn a_big_dataset_page_shows_its_first_500_rows_and_says_where_the_rest_is() {
    let mut yaml = String::from("titulo: Grande\nfilas:\n");
    for i in 0..600 {
        yaml.push_str(&format!("  - {{nombre: fila-{i}, n: {i}}}\n"));
    }
    let site = Site::new().with("content/datos/grande.yaml", &yaml);
    site.build_ok();
    let page = site.read("datos/grande/index.html");
    assert!(
        page.contains(
            "Se muestran las primeras 500 filas de 600: los datos completos están en las descargas."
        ),
        "{page}"
    );
    assert!(page.contains(">fila-499<") && !page.contains(">fila-500<"));
}

#[test]
fn the_page_carries_a_schema_org_dataset() {
    let site = site();
    site.build_ok();
    let ld = json_ld(&site.read("datos/cifras/index.html"));
    assert_eq!(ld["@context"], "https://schema.org/");
    assert_eq!(ld["@type"], "Dataset");
    assert_eq!(ld["name"], "Barrios por territorio");
    assert_eq!(ld["description"], "Cuántos barrios hay en cada territorio.");
    assert_eq!(ld["license"]["name"], "CC BY 4.0");
    assert_eq!(ld["publisher"]["name"], "Sitio de prueba");
    assert_eq!(ld["dateModified"], "2018-07-31");
    assert_eq!(ld["url"], "https://example.org/sub/datos/cifras/");
    let downloads = ld["distribution"].as_array().unwrap();
    let formats: Vec<(&str, &str)> = downloads
        .iter()
        .map(|d| {
            assert_eq!(d["@type"], "DataDownload");
            (
                d["encodingFormat"].as_str().unwrap(),
                d["contentUrl"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        formats,
        [
            ("text/csv", "https://example.org/sub/datos/cifras.csv"),
            (
                "application/json",
                "https://example.org/sub/datos/cifras.json"
            ),
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "https://example.org/sub/datos/cifras.xlsx"
            ),
            (
                "application/vnd.oasis.opendocument.spreadsheet",
                "https://example.org/sub/datos/cifras.ods"
            ),
        ]
    );
}

#[test]
fn the_dcat_catalogue_lists_every_dataset_and_distribution() {
    let site = site().with("content/datos/otro.csv", "a,b\nx,1\n");
    site.build_ok();
    let cat: Value = serde_json::from_str(&site.read("datos/catalogo.jsonld")).expect("JSON");
    assert_eq!(cat["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    assert_eq!(cat["@context"]["dct"], "http://purl.org/dc/terms/");
    assert_eq!(cat["@type"], "dcat:Catalog");
    assert_eq!(cat["dct:title"], "Sitio de prueba");
    assert!(cat["dct:description"].is_string());
    assert_eq!(cat["dct:publisher"]["foaf:name"], "Sitio de prueba");
    let datasets = cat["dcat:dataset"].as_array().unwrap();
    assert_eq!(datasets.len(), 2);
    let d = &datasets[0];
    assert_eq!(d["@type"], "dcat:Dataset");
    assert_eq!(d["@id"], "https://example.org/sub/datos/cifras/");
    assert_eq!(d["dct:identifier"], "cifras");
    assert_eq!(d["dct:title"], "Barrios por territorio");
    assert_eq!(
        d["dct:description"],
        "Cuántos barrios hay en cada territorio."
    );
    assert_eq!(d["dct:modified"]["@value"], "2018-07-31");
    assert_eq!(d["dct:license"]["dct:title"], "CC BY 4.0");
    assert_eq!(
        d["dcat:landingPage"]["@id"],
        "https://example.org/sub/datos/cifras/"
    );
    let dist = d["dcat:distribution"].as_array().unwrap();
    assert_eq!(dist.len(), 4);
    for (x, ext) in dist.iter().zip(["csv", "json", "xlsx", "ods"]) {
        let url = format!("https://example.org/sub/datos/cifras.{ext}");
        assert_eq!(x["@type"], "dcat:Distribution");
        assert_eq!(x["dcat:downloadURL"]["@id"], url);
        assert_eq!(
            x["dcat:accessURL"]["@id"],
            "https://example.org/sub/datos/cifras/"
        );
        assert!(
            x["dcat:mediaType"]["@id"]
                .as_str()
                .unwrap()
                .starts_with("https://www.iana.org/assignments/media-types/")
        );
        let size = std::fs::metadata(site.out(&format!("datos/cifras.{ext}")))
            .unwrap()
            .len();
        assert_eq!(x["dcat:byteSize"]["@value"], size.to_string());
    }
    assert_eq!(datasets[1]["dct:identifier"], "otro");
    // Without a description, the sentence made from the title says only what is known.
    assert_eq!(
        datasets[1]["dct:description"],
        "Datos «otro» publicados por Sitio de prueba, con 1 fila."
    );
}

#[test]
fn hostile_text_stays_text_in_the_page_the_json_ld_and_the_catalogue() {
    let hostile = "</script><script>alert(1)</script> \\\" & <!--";
    let site = Site::new().with(
        "content/datos/x.yaml",
        &format!(
            "titulo: '{hostile}'\nfuente: '{hostile}'\nlicencia: '{hostile}'\nfilas:\n  - {{a: '{hostile}', b: 1}}\n"
        ),
    );
    site.build_ok();
    let page = site.read("datos/x/index.html");
    assert!(!page.contains("<script>alert"), "{page}");
    let ld = json_ld(&page);
    assert_eq!(ld["name"], hostile);
    assert_eq!(ld["license"]["name"], hostile);
    let cat: Value = serde_json::from_str(&site.read("datos/catalogo.jsonld")).unwrap();
    assert_eq!(cat["dcat:dataset"][0]["dct:title"], hostile);
}
