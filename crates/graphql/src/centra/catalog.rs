//! The catalog behind the Centra mock: markets, pricelists, languages, countries, display
//! items, vouchers and customers, read from a fixture file (YAML or JSON) over built-in
//! defaults, with display items generated from the seed where none are listed.

use std::collections::HashMap;

use super::fixtures::{
    Country, Customer, DisplayItem, Fixtures, Language, Market, Named, Pricelist, Start, Voucher,
};
use crate::behaviour::{LoadError, generated_name, mix, slug};

const DEFAULTS: &str = include_str!("defaults.yaml");

/// The loaded catalog.
#[derive(Debug)]
pub(super) struct Catalog {
    /// Markets.
    pub markets: Vec<Market>,
    /// Pricelists.
    pub pricelists: Vec<Pricelist>,
    /// Languages.
    pub languages: Vec<Language>,
    /// Countries.
    pub countries: Vec<Country>,
    /// Where sessions start.
    pub start: Start,
    /// Brands.
    pub brands: Vec<Named>,
    /// Collections.
    pub collections: Vec<Named>,
    /// Categories.
    pub categories: Vec<Named>,
    /// Display items, by ascending id.
    pub items: Vec<DisplayItem>,
    /// Vouchers.
    pub vouchers: Vec<Voucher>,
    /// Customers.
    pub customers: Vec<Customer>,
}

impl Catalog {
    /// The defaults overlaid with `fixtures`, display items generated from `seed` if needed.
    pub(super) fn new(fixtures: Fixtures, seed: u64) -> Result<Catalog, LoadError> {
        let d = Fixtures::from_str("built-in defaults", DEFAULTS)?;
        let pick = |a: Option<Vec<Named>>, b: Option<Vec<Named>>| a.or(b).unwrap_or_default();
        let charts = fixtures.size_charts.or(d.size_charts).unwrap_or_default();
        let brands = pick(fixtures.brands, d.brands);
        let collections = pick(fixtures.collections, d.collections);
        let categories = pick(fixtures.categories, d.categories);
        let languages = fixtures.languages.or(d.languages).unwrap_or_default();
        let mut items = match fixtures.display_items {
            Some(items) => items,
            None => {
                let n = fixtures
                    .generate
                    .or(d.generate)
                    .map_or(0, |g| g.display_items);
                let shape = Shape {
                    brands: &brands,
                    collections: &collections,
                    categories: &categories,
                    charts: &charts,
                    languages: &languages,
                };
                (1..=n as i64)
                    .map(|id| generated(id, seed, &shape))
                    .collect()
            }
        };
        items.sort_by_key(|i| i.id);
        let catalog = Catalog {
            markets: fixtures.markets.or(d.markets).unwrap_or_default(),
            pricelists: fixtures.pricelists.or(d.pricelists).unwrap_or_default(),
            countries: fixtures.countries.or(d.countries).unwrap_or_default(),
            start: fixtures
                .session
                .or(d.session)
                .ok_or_else(|| invalid("no `session` start"))?,
            vouchers: fixtures.vouchers.or(d.vouchers).unwrap_or_default(),
            customers: fixtures.customers.or(d.customers).unwrap_or_default(),
            languages,
            brands,
            collections,
            categories,
            items,
        };
        catalog.check()?;
        Ok(catalog)
    }

    /// Every id a country, or the session start, refers to exists.
    fn check(&self) -> Result<(), LoadError> {
        for c in &self.countries {
            if self.market(c.market).is_none() || self.pricelist(c.pricelist).is_none() {
                return Err(invalid(&format!(
                    "country {} names an unknown market or pricelist",
                    c.code
                )));
            }
        }
        if self.country(&self.start.country).is_none()
            || self.language(&self.start.language).is_none()
        {
            return Err(invalid("`session` names an unknown country or language"));
        }
        Ok(())
    }

    /// A market by id.
    pub(super) fn market(&self, id: i64) -> Option<&Market> {
        self.markets.iter().find(|m| m.id == id)
    }
    /// A pricelist by id.
    pub(super) fn pricelist(&self, id: i64) -> Option<&Pricelist> {
        self.pricelists.iter().find(|p| p.id == id)
    }
    /// A language by code.
    pub(super) fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }
    /// A country by code (case-insensitive, as shoppers type them).
    pub(super) fn country(&self, code: &str) -> Option<&Country> {
        self.countries
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }
    /// A display item by id.
    pub(super) fn item(&self, id: i64) -> Option<&DisplayItem> {
        self.items
            .binary_search_by_key(&id, |i| i.id)
            .ok()
            .map(|i| &self.items[i])
    }
    /// A display item and size index by item id (`12-3`).
    pub(super) fn sku(&self, item: &str) -> Option<(&DisplayItem, usize)> {
        let (id, n) = item.split_once('-')?;
        let di = self.item(id.parse().ok()?)?;
        let n: usize = n.parse().ok()?;
        (n >= 1 && n <= di.sizes.len()).then_some((di, n - 1))
    }
    /// A voucher by code (case-insensitive).
    pub(super) fn voucher(&self, code: &str) -> Option<&Voucher> {
        self.vouchers
            .iter()
            .find(|v| v.code.eq_ignore_ascii_case(code))
    }
    /// The default language's code.
    pub(super) fn default_language(&self) -> &str {
        self.languages
            .iter()
            .find(|l| l.default)
            .or(self.languages.first())
            .map_or("en", |l| &l.code)
    }
}

fn invalid(message: &str) -> LoadError {
    LoadError::Fixtures {
        source_name: "fixtures".into(),
        message: message.to_owned(),
    }
}

struct Shape<'a> {
    brands: &'a [Named],
    collections: &'a [Named],
    categories: &'a [Named],
    charts: &'a [Vec<String>],
    languages: &'a [Language],
}

/// A display item made from the seed: the same seed makes the same catalog.
fn generated(id: i64, seed: u64, s: &Shape<'_>) -> DisplayItem {
    let k = mix(mix(seed, 0x00c4_7a10), id as u64);
    let pick = |list: &[Named], salt: u64| {
        (!list.is_empty()).then(|| list[(mix(k, salt) % list.len() as u64) as usize].id)
    };
    let name = generated_name(k);
    let translations = s
        .languages
        .iter()
        .filter(|l| !l.default)
        .map(|l| (l.code.clone(), format!("{name} [{}]", l.code)))
        .collect();
    DisplayItem {
        id,
        uri: format!("{}-{id}", slug(&name)),
        brand: pick(s.brands, 1),
        collection: pick(s.collections, 2),
        category: pick(s.categories, 3),
        sizes: match s.charts.len() {
            0 => vec!["One size".to_owned()],
            n => s.charts[(mix(k, 4) % n as u64) as usize].clone(),
        },
        price: 20.0 + (mix(k, 5) % 180) as f64,
        prices: HashMap::new(),
        available: !mix(k, 6).is_multiple_of(10),
        translations,
        name,
    }
}
