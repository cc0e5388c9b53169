//! DSNs read through the driver managers' installer libraries (unixODBC's libodbcinst and
//! iODBC's libiodbcinst, both installed by scripts/test.sh): from the user's file and the
//! system's, a user DSN hiding the system DSN of the same name. One test in this file: the
//! libraries take their files from the environment, which it sets once for both.

use pipedrive_config::{dsn_properties, installer, oauth_options, Installer, Properties, Scope};

const USER_INI: &str =
    "[ODBC Data Sources]\nBoth = Pipedrive ODBC Driver\nUserOnly = Pipedrive ODBC Driver\n\n\
[Both]\nDriver = Pipedrive ODBC Driver\nAPIToken = user-token\n\n\
[UserOnly]\nDriver = Pipedrive ODBC Driver\nCompanyDomain = acme\n";
const SYSTEM_INI: &str = "[ODBC Data Sources]\nBoth = Pipedrive ODBC Driver\nSysOnly = Pipedrive ODBC Driver\n\n\
[Both]\nDriver = Pipedrive ODBC Driver\nAPIToken = system-token\nTimeout = 7\n\n\
[SysOnly]\nDriver = Pipedrive ODBC Driver\nCompanyDomain = globex\nBaseURL = http://127.0.0.1:9/v1\n";

#[test]
fn both_installer_libraries_read_user_and_system_dsns_the_user_one_hiding_the_system_one() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("user.odbc.ini");
    let system_dir = dir.path().join("system");
    std::fs::create_dir(&system_dir).unwrap();
    std::fs::write(&user, USER_INI).unwrap();
    std::fs::write(system_dir.join("odbc.ini"), SYSTEM_INI).unwrap();
    // unixODBC: ODBCINI is the user's file, ODBCSYSINI the system's folder;
    // iODBC: ODBCINI too, SYSODBCINI the system's file
    std::env::set_var("ODBCINI", &user);
    std::env::set_var("ODBCSYSINI", &system_dir);
    std::env::set_var("SYSODBCINI", system_dir.join("odbc.ini"));

    for library in ["libodbcinst.so.2", "libiodbcinst.so.2"] {
        let inst = Installer::open(library).unwrap();
        let (scope, p) = inst.dsn("useronly").unwrap();
        assert_eq!(
            (scope, p.get("CompanyDomain")),
            (Scope::User, Some("acme")),
            "{library}"
        );
        let (scope, p) = inst.dsn("SysOnly").unwrap();
        assert_eq!(scope, Scope::System, "{library}");
        assert_eq!(p.get("companydomain"), Some("globex"), "{library}");
        assert_eq!(p.get("BaseURL"), Some("http://127.0.0.1:9/v1"), "{library}");

        // the user's DSN hides the system's whole: none of the system DSN's keys show through
        let (scope, p) = inst.dsn("Both").unwrap();
        assert_eq!(scope, Scope::User, "{library}");
        assert_eq!(p.get("APIToken"), Some("user-token"), "{library}");
        assert_eq!(p.get("Timeout"), None, "{library}: {p:?}");
        let system = inst.dsn_in(Scope::System, "Both").unwrap();
        assert_eq!(system.get("APIToken"), Some("system-token"), "{library}");
        assert_eq!(system.get("Timeout"), Some("7"), "{library}");

        assert!(inst.dsn("Nowhere").is_none(), "{library}");
        // the list of data sources is a section, not a DSN of that name
        assert!(inst.dsn_in(Scope::User, "Driver").is_none(), "{library}");
    }

    // writing (how `pipedrive-odbc install` registers on Windows): a DSN of each scope read
    // back whole, then removed; a driver registered in the system's odbcinst.ini, then removed
    // iODBC's drivers: SYSODBCINSTINI and ODBCINSTINI (files); unixODBC's: odbcinst.ini in
    // ODBCSYSINI (its ODBCINSTINI is a file name in that folder, so it is left unset for it)
    std::env::set_var("SYSODBCINSTINI", system_dir.join("odbcinst.ini"));
    let props =
        Properties::parse("AuthScheme=Basic;APIToken=written;CompanyDomain=initech").unwrap();
    for library in ["libodbcinst.so.2", "libiodbcinst.so.2"] {
        match library {
            "libiodbcinst.so.2" => {
                std::env::set_var("ODBCINSTINI", system_dir.join("odbcinst.ini"))
            }
            _ => std::env::remove_var("ODBCINSTINI"),
        }
        let inst = Installer::open(library).unwrap();
        let driver = format!("Driver of {library}");
        let dll = dir.path().join(format!("{library}.driver.so"));
        inst.install_driver(&driver, &dll).unwrap();
        let odbcinst = std::fs::read_to_string(system_dir.join("odbcinst.ini")).unwrap();
        assert!(
            odbcinst.contains(&format!("[{driver}]")),
            "{library}: {odbcinst}"
        );
        assert!(
            odbcinst.contains(&dll.display().to_string()),
            "{library}: {odbcinst}"
        );

        for scope in [Scope::User, Scope::System] {
            let name = format!("Written {scope:?}");
            inst.write_dsn(scope, &name, &driver, &props).unwrap();
            let back = inst
                .dsn_in(scope, &name)
                .unwrap_or_else(|| panic!("{library} {scope:?}"));
            // unixODBC keeps the driver's name; iODBC writes the library the name stands for
            let named = back.get("Driver").unwrap_or_default();
            assert!(
                named == driver || named == dll.display().to_string(),
                "{library} {scope:?}: {named}"
            );
            assert_eq!(back.get("APIToken"), Some("written"), "{library} {scope:?}");
            assert_eq!(
                back.get("CompanyDomain"),
                Some("initech"),
                "{library} {scope:?}"
            );
            let other = match scope {
                Scope::User => Scope::System,
                Scope::System => Scope::User,
            };
            assert!(inst.dsn_in(other, &name).is_none(), "{library} {scope:?}");
            assert!(
                inst.remove_dsn(scope, &name).unwrap(),
                "{library} {scope:?}"
            );
            assert!(inst.dsn_in(scope, &name).is_none(), "{library} {scope:?}");
            assert!(
                !inst.remove_dsn(scope, &name).unwrap(),
                "{library} {scope:?}"
            );
        }
        assert!(inst.remove_driver(&driver).unwrap(), "{library}");
        let odbcinst = std::fs::read_to_string(system_dir.join("odbcinst.ini")).unwrap();
        assert!(
            !odbcinst.contains(&format!("[{driver}]")),
            "{library}: {odbcinst}"
        );
        assert!(
            inst.write_dsn(Scope::User, &"N".repeat(33), &driver, &props)
                .unwrap_err()
                .contains("32 characters"),
            "{library}"
        );
    }
    // the first reads are untouched by the writes
    assert_eq!(
        Installer::open("libiodbcinst.so.2")
            .unwrap()
            .dsn("Both")
            .unwrap()
            .1
            .get("APIToken"),
        Some("user-token")
    );

    // what the driver and the CLI use: with no driver manager in this process, the platform's
    // usual library (unixODBC's on Linux)
    assert_eq!(installer().unwrap().name(), "libodbcinst.so.2");
    let p = dsn_properties("BOTH").unwrap().unwrap();
    assert_eq!(p.get("APIToken"), Some("user-token"));
    assert!(dsn_properties("Nowhere").unwrap().is_none());

    // a system DSN signing in with OAuth (a service's, such as the Power BI gateway's) must
    // name the file for the tokens; a user DSN, a named file or no sign-in need not
    let oauth = |extra: &str| {
        oauth_options(
            &Properties::parse(&format!("AuthScheme=OAuth;OAuthClientId=app;{extra}")).unwrap(),
        )
    };
    let refused = oauth("DSN=SysOnly").err().expect("refused").0;
    assert!(
        refused.contains("system DSN 'SysOnly'") && refused.contains("OAuthSettingsLocation"),
        "{refused}"
    );
    assert!(oauth("DSN=UserOnly").is_ok());
    assert!(oauth("DSN=SysOnly;OAuthSettingsLocation=/var/lib/gateway/pipedrive.txt").is_ok());
    assert!(oauth("DSN=SysOnly;InitiateOAuth=OFF;OAuthAccessToken=t").is_ok());
}
